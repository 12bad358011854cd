// A "select all on this page" checkbox: <input type="checkbox" data-select-all="selected">
// ticks or clears every checkbox named "selected" in the same form. Without JavaScript the
// boxes are ticked one by one; nothing else depends on this file.
(function () {
  "use strict";
  document.querySelectorAll("input[type=checkbox][data-select-all]").forEach(function (all) {
    var form = all.form || all.closest("form");
    if (!form) {
      return;
    }
    var name = all.getAttribute("data-select-all");
    var boxes = function () {
      return form.querySelectorAll("input[type=checkbox][name='" + name + "']");
    };
    all.hidden = false;
    all.addEventListener("change", function () {
      boxes().forEach(function (box) {
        box.checked = all.checked;
      });
    });
    form.addEventListener("change", function (event) {
      if (event.target !== all && event.target.name === name) {
        var list = Array.prototype.slice.call(boxes());
        all.checked = list.length > 0 && list.every(function (box) { return box.checked; });
      }
    });
  });
})();
