// Follows a running build's progress over its event stream; the page works without it.
(function () {
  // As the server writes a duration: 42s, 3m 07s, 2h 05m.
  function duration(ms) {
    var s = Math.floor(Math.max(ms, 0) / 1000), two = function (n) { return (n < 10 ? "0" : "") + n; };
    if (s >= 3600) return Math.floor(s / 3600) + "h " + two(Math.floor(s / 60) % 60) + "m";
    if (s >= 60) return Math.floor(s / 60) + "m " + two(s % 60) + "s";
    return s + "s";
  }
  function put(name, text) {
    var found = document.querySelector("[data-" + name + "]");
    if (found) found.textContent = text;
  }
  var el = document.querySelector("[data-events]");
  if (!el || !window.EventSource) return;
  var source = new EventSource(el.getAttribute("data-events"));
  source.addEventListener("progress", function (e) {
    var p = JSON.parse(e.data);
    var bar = el.querySelector("progress");
    if (bar) { bar.max = Math.max(p.tasks_total, 1); bar.value = Math.min(p.tasks_done, p.tasks_total); }
    var figures = el.querySelector(".figures");
    if (figures) figures.textContent = p.tasks_done + " / " + p.tasks_total + " tasks";
    put("duration", duration(p.duration_ms));
    put("errors", p.errors);
    put("warnings", p.warnings);
    var state = document.querySelector("[data-state]");
    if (state) { state.textContent = p.state; state.className = "state s-" + p.state; }
    if (p.ended) { source.close(); window.location.reload(); }
  });
})();
