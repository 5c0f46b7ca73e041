// A type-ahead for a <select data-combobox>, after the ARIA Authoring Practices
// combobox with a listbox popup. Without JavaScript the select (grouped with
// <optgroup>) is the field; with it the select is hidden and kept as the value
// the form sends: the input filters the options, Arrow keys move through them,
// Enter chooses, Escape closes, and a polite status says how many match.
(function () {
  "use strict";

  function Combobox(select) {
    this.select = select;
    this.id = select.id;
    this.options = [];
    this.shown = [];
    this.active = -1;
    this.build();
    this.bind();
  }

  Combobox.prototype.build = function () {
    var select = this.select;
    var wrap = document.createElement("div");
    wrap.className = "combobox";
    var input = document.createElement("input");
    input.type = "text";
    input.id = this.id + "-combobox";
    input.className = "combobox-input";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.id + "-listbox");
    input.setAttribute("autocomplete", "off");
    ["aria-describedby", "aria-invalid"].forEach(function (name) {
      if (select.hasAttribute(name)) {
        input.setAttribute(name, select.getAttribute(name));
      }
    });
    var label = document.querySelector('label[for="' + this.id + '"]');
    if (label) {
      label.htmlFor = input.id;
      label.id = label.id || this.id + "-label";
    }
    var listbox = document.createElement("div");
    listbox.id = this.id + "-listbox";
    listbox.className = "combobox-listbox";
    listbox.setAttribute("role", "listbox");
    if (label) {
      listbox.setAttribute("aria-labelledby", label.id);
    }
    listbox.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    this.fill(listbox);
    wrap.appendChild(input);
    wrap.appendChild(listbox);
    wrap.appendChild(status);
    select.parentNode.insertBefore(wrap, select.nextSibling);
    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    this.input = input;
    this.listbox = listbox;
    this.status = status;
    input.value = this.chosenLabel();
  };

  Combobox.prototype.fill = function (listbox) {
    var self = this;
    var groupCount = 0;
    Array.prototype.forEach.call(this.select.children, function (child) {
      if (child.tagName === "OPTGROUP") {
        groupCount += 1;
        var group = document.createElement("ul");
        var heading = document.createElement("li");
        heading.id = self.id + "-group-" + groupCount;
        heading.className = "combobox-group-label";
        heading.setAttribute("role", "presentation");
        heading.textContent = child.label;
        group.setAttribute("role", "group");
        group.setAttribute("aria-labelledby", heading.id);
        group.appendChild(heading);
        Array.prototype.forEach.call(child.children, function (option) {
          group.appendChild(self.option(option));
        });
        listbox.appendChild(group);
      } else {
        var single = document.createElement("ul");
        single.setAttribute("role", "presentation");
        single.appendChild(self.option(child));
        listbox.appendChild(single);
      }
    });
  };

  Combobox.prototype.option = function (source) {
    var item = document.createElement("li");
    item.id = this.id + "-option-" + this.options.length;
    item.setAttribute("role", "option");
    item.setAttribute("aria-selected", "false");
    item.dataset.value = source.value;
    item.textContent = source.textContent;
    this.options.push(item);
    return item;
  };

  Combobox.prototype.chosenLabel = function () {
    var chosen = this.select.options[this.select.selectedIndex];
    return chosen && chosen.value !== "" ? chosen.textContent : "";
  };

  Combobox.prototype.bind = function () {
    var self = this;
    this.input.addEventListener("input", function () {
      self.filter(self.input.value);
      self.open();
    });
    this.input.addEventListener("keydown", function (event) {
      self.key(event);
    });
    this.input.addEventListener("blur", function () {
      self.close();
      self.settle();
    });
    if (this.select.form) {
      // Enter in the box sends the form without a blur: settle first
      this.select.form.addEventListener("submit", function () {
        self.settle();
      });
    }
    this.listbox.addEventListener("mousedown", function (event) {
      event.preventDefault(); // keep the focus in the input
    });
    this.listbox.addEventListener("click", function (event) {
      var item = event.target.closest('[role="option"]');
      if (item) {
        self.choose(item);
      }
    });
  };

  Combobox.prototype.key = function (event) {
    var isOpen = !this.listbox.hidden;
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (!isOpen) {
          this.filter(this.input.value);
          this.open();
          if (event.altKey) {
            return;
          }
        }
        this.move(this.active + 1);
        break;
      case "ArrowUp":
        event.preventDefault();
        if (!isOpen) {
          this.filter(this.input.value);
          this.open();
        }
        this.move(this.active < 0 ? this.shown.length - 1 : this.active - 1);
        break;
      case "Home":
      case "End":
        if (isOpen && this.active >= 0) {
          event.preventDefault();
          this.move(event.key === "Home" ? 0 : this.shown.length - 1);
        }
        break;
      case "Enter":
        if (isOpen && this.active >= 0) {
          event.preventDefault(); // choose, do not send the form yet
          this.choose(this.shown[this.active]);
        } else if (isOpen) {
          this.close();
        }
        break;
      case "Escape":
        if (isOpen) {
          event.preventDefault();
          this.close();
        } else if (this.input.value) {
          event.preventDefault();
          this.input.value = "";
          this.select.value = "";
        }
        break;
      case "Tab":
        this.close();
        break;
      default:
        break;
    }
  };

  Combobox.prototype.filter = function (text) {
    var wanted = text.trim().toLocaleLowerCase("sv");
    var chosen = this.chosenLabel();
    if (chosen && text === chosen) {
      wanted = ""; // the chosen name is in the box: show everyone again
    }
    this.shown = [];
    this.options.forEach(function (item) {
      var name = item.textContent.toLocaleLowerCase("sv");
      var hit = wanted === "" || (item.dataset.value !== "" && name.indexOf(wanted) !== -1);
      item.hidden = !hit;
      if (hit) {
        this.shown.push(item);
      }
    }, this);
    Array.prototype.forEach.call(this.listbox.children, function (list) {
      list.hidden = !list.querySelector('[role="option"]:not([hidden])');
    });
    this.move(-1);
    this.announce(this.shown.length);
  };

  Combobox.prototype.announce = function (count) {
    var data = this.select.dataset;
    var text = count === 0 ? data.msgNone : count === 1 ? data.msgOne : data.msgMany;
    this.status.textContent = (text || String(count)).replace("{n}", count);
  };

  Combobox.prototype.move = function (index) {
    if (this.active >= 0 && this.shown[this.active]) {
      this.shown[this.active].setAttribute("aria-selected", "false");
    }
    if (!this.shown.length || index < 0) {
      this.active = -1;
      this.input.removeAttribute("aria-activedescendant");
      return;
    }
    this.active = Math.min(index, this.shown.length - 1);
    var item = this.shown[this.active];
    item.setAttribute("aria-selected", "true");
    this.input.setAttribute("aria-activedescendant", item.id);
    if (item.scrollIntoView) {
      item.scrollIntoView({ block: "nearest" });
    }
  };

  Combobox.prototype.open = function () {
    this.listbox.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  };

  Combobox.prototype.close = function () {
    this.listbox.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.move(-1);
  };

  Combobox.prototype.choose = function (item) {
    this.select.value = item.dataset.value;
    this.select.dispatchEvent(new Event("change", { bubbles: true }));
    this.input.value = this.chosenLabel();
    this.close();
  };

  // Leaving the field: an empty box means nobody, a name typed in full chooses
  // that person, anything else goes back to the person chosen before.
  Combobox.prototype.settle = function () {
    var text = this.input.value.trim().toLocaleLowerCase("sv");
    if (text === "") {
      this.select.value = "";
      return;
    }
    var exact = this.options.filter(function (item) {
      return item.dataset.value !== "" && item.textContent.toLocaleLowerCase("sv") === text;
    });
    if (exact.length === 1) {
      this.select.value = exact[0].dataset.value;
    }
    this.input.value = this.chosenLabel();
  };

  Array.prototype.forEach.call(
    document.querySelectorAll("select[data-combobox]"),
    function (select) {
      new Combobox(select);
    }
  );
})();
