"""Who else is editing which section of a response right now: the section page's script sends
a heartbeat; pages show the people whose heartbeat is recent. Without JavaScript no heartbeat
is sent and nobody is shown as editing."""
