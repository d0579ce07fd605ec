// Who else is editing: on a section page that can be edited, a heartbeat every few seconds
// tells the server this person is here (and the answer says who else is); other pages only
// ask. Each [data-presence-for="<section id>"] element lists the people in that section.
// Requests go through TIP.fetch (static/js/csrf.js), which adds the CSRF header.
(function () {
  "use strict";

  function show(root, editing) {
    root.querySelectorAll("[data-presence-for]").forEach(function (list) {
      var section = list.getAttribute("data-presence-for");
      list.textContent = "";
      editing.filter(function (entry) { return entry.section === section; }).forEach(function (entry) {
        var item = document.createElement("p");
        item.className = "presence__item";
        item.textContent = entry.text;
        list.appendChild(item);
      });
      list.hidden = !list.firstChild;
    });
  }

  function post(url, body, keepalive) {
    return window.TIP.fetch(url, {
      method: "POST", keepalive: !!keepalive,
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(body)
    });
  }

  function refresh(root) {
    var url = root.getAttribute("data-presence-url");
    var section = root.getAttribute("data-presence-section");
    var request = section ? post(url, { section: section }) : window.TIP.fetch(url, { headers: { "Accept": "application/json" } });
    request.then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) show(root, data.editing); })
      .catch(function () { /* offline for a moment: try again at the next beat */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector("[data-presence-url]");
    if (!root || !window.TIP) return;
    var seconds = parseInt(root.getAttribute("data-presence-interval"), 10) || 20;
    refresh(root);
    window.setInterval(function () { refresh(root); }, seconds * 1000);
    var section = root.getAttribute("data-presence-section");
    if (section) {
      window.addEventListener("pagehide", function () {
        post(root.getAttribute("data-presence-url"), { section: section, leaving: true }, true);
      });
    }
  });
})();
