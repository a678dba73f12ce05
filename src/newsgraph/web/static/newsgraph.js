// newsgraph explorer: show a highlighted span's normalized value on hover and on focus.
(function () {
  function tooltip() { return document.getElementById("ng-tooltip"); }
  function show(el) {
    var tip = tooltip();
    if (!tip || !el.dataset.info) return;
    tip.textContent = el.dataset.info;  // textContent: the value is shown as text, never parsed
    tip.hidden = false;
    var box = el.getBoundingClientRect();
    tip.style.left = (window.scrollX + box.left) + "px";
    tip.style.top = (window.scrollY + box.bottom + 6) + "px";
    el.classList.add("ng-active");
  }
  function hide(el) {
    var tip = tooltip();
    if (tip) tip.hidden = true;
    if (el) el.classList.remove("ng-active");
  }
  function target(event) {
    return event.target.closest ? event.target.closest(".ng-text .hl") : null;
  }
  document.addEventListener("mouseover", function (e) { var el = target(e); if (el) show(el); });
  document.addEventListener("mouseout", function (e) { var el = target(e); if (el) hide(el); });
  document.addEventListener("focusin", function (e) { var el = target(e); if (el) show(el); });
  document.addEventListener("focusout", function (e) { var el = target(e); if (el) hide(el); });
})();
