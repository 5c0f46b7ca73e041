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

  // A form with data-confirm asks before it is sent, in a modal <dialog> that says
  // what will happen; Cancel (and Escape) change nothing. Without JavaScript, or
  // without <dialog>, the form is sent at once as before.
  function setUpConfirm(form) {
    if (typeof HTMLDialogElement !== "function") {
      return;
    }
    var confirmed = false;
    form.addEventListener("submit", function (event) {
      if (confirmed) {
        return;
      }
      event.preventDefault();
      var submitter = event.submitter;
      var dialog = document.createElement("dialog");
      dialog.className = "confirm-dialog";
      dialog.setAttribute("aria-labelledby", "confirm-text");
      var text = document.createElement("p");
      text.id = "confirm-text";
      text.textContent = form.dataset.confirm;
      var buttons = document.createElement("div");
      buttons.className = "actions";
      var yes = document.createElement("button");
      yes.type = "button";
      yes.className = "primary";
      yes.textContent = form.dataset.confirmYes;
      var no = document.createElement("button");
      no.type = "button";
      no.textContent = form.dataset.confirmNo;
      buttons.append(yes, no);
      dialog.append(text, buttons);
      document.body.appendChild(dialog);
      dialog.addEventListener("close", function () {
        dialog.remove();
        if (!confirmed && submitter) {
          submitter.focus();
        }
      });
      no.addEventListener("click", function () { dialog.close(); });
      yes.addEventListener("click", function () {
        confirmed = true;
        dialog.close();
        form.requestSubmit(submitter || undefined);
      });
      dialog.showModal();
      no.focus();  // the safe choice first
    });
  }

  setUpMenu();
  document.querySelectorAll("form[data-confirm]").forEach(setUpConfirm);
  document.querySelectorAll("main table").forEach(stackTable);
})();
