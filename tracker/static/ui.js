// Progressive enhancement shared by every page. Without JavaScript the menu stays
// open and wide tables scroll inside themselves; nothing here is needed to use a page.
(function () {
  "use strict";
  var NARROW = window.matchMedia("(max-width: 39.99rem)");

  // The header's menu collapses behind a disclosure button on narrow screens
  // (the ARIA Authoring Practices disclosure pattern).
  function setUpMenu() {
    var header = document.getElementById("site-header");
    var button = header && header.querySelector(".menu-toggle");
    if (!button) {
      return;
    }
    header.classList.add("has-menu-toggle");
    button.hidden = false;
    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      header.classList.toggle("menu-open", open);
    }
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    header.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && NARROW.matches &&
          button.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        button.focus();
      }
    });
  }

  // Data tables become one block per row on narrow screens; each cell is labelled
  // with its column's heading, and explicit roles keep the table semantics that
  // browsers drop once a table is no longer displayed as a table.
  function stackTable(table) {
    var heads = table.querySelectorAll("thead th");
    if (!heads.length || table.classList.contains("no-stack")) {
      return;
    }
    var labels = Array.prototype.map.call(heads, function (th) {
      return th.textContent.trim();
    });
    table.classList.add("stacked");
    table.setAttribute("role", "table");
    table.querySelectorAll("thead, tbody, tfoot").forEach(function (group) {
      group.setAttribute("role", "rowgroup");
    });
    table.querySelectorAll("tr").forEach(function (row) {
      row.setAttribute("role", "row");
      var column = 0;
      Array.prototype.forEach.call(row.children, function (cell) {
        if (cell.closest("thead")) {
          cell.setAttribute("role", "columnheader");
        } else if (cell.tagName === "TH") {
          cell.setAttribute("role", "rowheader");
        } else {
          cell.setAttribute("role", "cell");
        }
        if (labels[column] && !cell.closest("thead")) {
          cell.setAttribute("data-label", labels[column]);
        }
        column += cell.colSpan || 1;
      });
    });
  }

  setUpMenu();
  document.querySelectorAll("main table").forEach(stackTable);
})();
