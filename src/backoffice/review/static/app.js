// Keyboard for a queue used all day: / search, j/k move, Enter/o open, x tick, n/p pages,
// a assign, c note, u back to the queue, ? the list. Rows open on click too.
(function () {
  "use strict";
  const rows = Array.from(document.querySelectorAll("tr[data-href]"));
  let current = -1;
  function select(i) {
    if (!rows.length) return;
    current = Math.max(0, Math.min(rows.length - 1, i));
    rows.forEach((r, j) => r.classList.toggle("selected", j === current));
    rows[current].scrollIntoView({ block: "nearest" });
  }
  function typing(e) {
    const t = e.target;
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }
  function focus(id) {
    const el = document.getElementById(id);
    if (el) { el.focus(); if (el.select) el.select(); return true; }
    return false;
  }
  function go(id) {
    const a = document.getElementById(id);
    if (a) window.location = a.href;
  }
  rows.forEach((r, i) => r.addEventListener("click", (e) => {
    if (e.target.closest("a, input, button, label")) return;
    select(i); window.location = r.dataset.href;
  }));
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (typing(e)) { if (e.key === "Escape") e.target.blur(); return; }
    switch (e.key) {
      case "/": e.preventDefault(); focus("search"); break;
      case "j": select(current + 1); break;
      case "k": select(current - 1); break;
      case "o": case "Enter": if (current >= 0) window.location = rows[current].dataset.href; break;
      case "x": if (current >= 0) { const box = rows[current].querySelector("input[type=checkbox]"); if (box) box.checked = !box.checked; } break;
      case "n": go("next-page"); break;
      case "p": go("first-page"); break;
      case "a": e.preventDefault(); focus("assign-input"); break;
      case "c": e.preventDefault(); focus("note-input"); break;
      case "u": go("back"); break;
      case "?": { const d = document.getElementById("keys"); if (d && d.showModal) d.showModal(); break; }
      default: return;
    }
  });
})();
