// Follows a running build's progress over its event stream; the page works without it.
(function () {
  var el = document.querySelector("[data-events]");
  if (!el || !window.EventSource) return;
  var source = new EventSource(el.getAttribute("data-events"));
  source.addEventListener("progress", function (e) {
    var p = JSON.parse(e.data);
    var bar = el.querySelector("progress");
    if (bar) { bar.max = Math.max(p.tasks_total, 1); bar.value = Math.min(p.tasks_done, p.tasks_total); }
    var figures = el.querySelector(".figures");
    if (figures) figures.textContent = p.tasks_done + " / " + p.tasks_total + " tasks";
    var state = document.querySelector("[data-state]");
    if (state) { state.textContent = p.state; state.className = "state s-" + p.state; }
    if (p.ended) { source.close(); window.location.reload(); }
  });
})();
