// The CSRF token for requests made from JavaScript. Every POST, PUT, PATCH and DELETE is
// refused without it, JSON included: use TIP.fetch(url, options) instead of fetch, or send the
// X-CSRFToken header yourself with the value of <meta name="csrf-token">.
(function () {
  "use strict";

  var SAFE_METHODS = /^(GET|HEAD|OPTIONS|TRACE)$/;

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function tipFetch(url, options) {
    var settings = Object.assign({ credentials: "same-origin" }, options || {});
    var method = (settings.method || "GET").toUpperCase();
    if (!SAFE_METHODS.test(method)) {
      var headers = new Headers(settings.headers || {});
      headers.set("X-CSRFToken", csrfToken());
      settings.headers = headers;
    }
    return window.fetch(url, settings);
  }

  window.TIP = Object.assign(window.TIP || {}, { csrfToken: csrfToken, fetch: tipFetch });
})();
