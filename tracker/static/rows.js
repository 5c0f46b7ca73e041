// Repeatable form rows: a button with data-add-row="LIST-ID" copies the list's last
// row with empty fields and the next number. Without JavaScript the server's empty
// rows are there already and the button stays hidden.
(function () {
  "use strict";

  function renumber(row, index) {
    var pattern = /-\d+-/;
    row.querySelectorAll("[id], [for], [name]").forEach(function (element) {
      ["id", "for", "name"].forEach(function (name) {
        var value = element.getAttribute(name);
        if (value) {
          element.setAttribute(name, value.replace(pattern, "-" + index + "-"));
        }
      });
    });
    row.querySelectorAll("[data-label]").forEach(function (label) {
      label.textContent = label.dataset.label.replace("{n}", index + 1);
    });
  }

  function addRow(list, max) {
    var rows = list.querySelectorAll("[data-row]");
    if (!rows.length || rows.length >= max) {
      return null;
    }
    var row = rows[rows.length - 1].cloneNode(true);
    renumber(row, rows.length);
    row.querySelectorAll("input").forEach(function (input) {
      input.value = "";
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    });
    row.querySelectorAll(".error").forEach(function (error) {
      error.remove();
    });
    row.classList.remove("has-error");
    list.appendChild(row);
    return row;
  }

  document.querySelectorAll("button[data-add-row]").forEach(function (button) {
    var list = document.getElementById(button.dataset.addRow);
    if (!list) {
      return;
    }
    var max = parseInt(button.dataset.max || "20", 10);
    button.hidden = false;
    button.addEventListener("click", function () {
      var row = addRow(list, max);
      if (row) {
        row.querySelector("input").focus();
      }
      button.disabled = list.querySelectorAll("[data-row]").length >= max;
    });
  });
})();
