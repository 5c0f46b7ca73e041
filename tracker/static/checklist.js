// A filter box for a long checklist (fieldset[data-checklist]): typing hides the
// checkboxes whose label does not contain the text, except those already ticked,
// and a polite status says how many are shown. Without JavaScript every checkbox
// is shown and the filter box stays hidden.
(function () {
  "use strict";

  function setUp(list) {
    var filter = list.querySelector("[data-checklist-filter]");
    var box = filter && filter.querySelector("input");
    var status = filter && filter.querySelector("[role=status]");
    if (!box || !status) {
      return;
    }
    var items = list.querySelectorAll("[data-checklist-item]");
    filter.hidden = false;

    function apply() {
      var wanted = box.value.trim().toLocaleLowerCase("sv");
      var shown = 0;
      items.forEach(function (item) {
        var checkbox = item.querySelector("input[type=checkbox]");
        var text = item.textContent.toLocaleLowerCase("sv");
        var visible = checkbox.checked || wanted === "" || text.indexOf(wanted) !== -1;
        item.hidden = !visible;
        shown += visible ? 1 : 0;
      });
      list.querySelectorAll("[data-checklist-group]").forEach(function (group) {
        group.hidden = !group.querySelector("[data-checklist-item]:not([hidden])");
      });
      status.textContent = (list.dataset.msgShown || "{n}").replace("{n}", shown);
    }

    box.addEventListener("input", apply);
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // filtering, not sending the form
      }
    });
  }

  document.querySelectorAll("fieldset[data-checklist]").forEach(setUp);
})();
