// The board's moves without a page load, and drag and drop between stages.
// Without JavaScript each card's "Flytta till" form still works (a page load);
// with it the same form is sent in the background, the card moves, and the
// status line (a live region) says what happened or why the move was refused.
(function () {
  "use strict";
  var status = document.getElementById("board-status");
  if (!status || !window.fetch) {
    return;
  }
  var dragged = null;

  function say(message, refused) {
    status.textContent = message;
    status.classList.toggle("refused", Boolean(refused));
  }

  function column(stageId) {
    return document.querySelector('.board-column[data-stage="' + stageId + '"]');
  }

  function recount(section) {
    var count = section.querySelector("h3 .count");
    var cards = section.querySelectorAll("li.card").length;
    if (count) {
      count.textContent = "(" + cards + ")";
    }
    var empty = section.querySelector("li.muted");
    if (empty) {
      empty.hidden = cards > 0;
    }
  }

  function place(card, stageId) {
    var from = card.closest(".board-column");
    var to = column(stageId);
    if (!to || to === from) {
      return;
    }
    to.querySelector("ul").appendChild(card);
    recount(from);
    recount(to);
  }

  function send(form, stageId, focusAfter) {
    var card = form.closest("li.card");
    var select = form.querySelector("select[name=stage_id]");
    var before = card.closest(".board-column").dataset.stage;
    var data = new FormData(form);
    data.set("stage_id", stageId);
    card.classList.add("moving");
    return fetch(form.action, {
      method: "POST",
      body: data,
      headers: { Accept: "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (answer) {
        card.classList.remove("moving");
        if (answer.ok) {
          place(card, String(answer.stage_id));
          select.value = String(answer.stage_id);
          say(card.querySelector("a").textContent + ": " + answer.message, false);
        } else {
          select.value = before;  // the card stays where it was
          say(card.querySelector("a").textContent + ": " + answer.message, true);
        }
        if (focusAfter) {
          focusAfter.focus();
        }
      });
    }).catch(function () {
      card.classList.remove("moving");
      form.submit();  // let the page answer instead
    });
  }

  document.querySelectorAll(".board form.move-form").forEach(function (form) {
    var card = form.closest("li.card");
    var button = form.querySelector("button");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      send(form, form.querySelector("select").value, button);
    });
    card.draggable = true;
    card.classList.add("draggable");
    card.addEventListener("dragstart", function (event) {
      dragged = card;
      card.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.id);
    });
    card.addEventListener("dragend", function () {
      card.classList.remove("dragging");
      document.querySelectorAll(".drop-target").forEach(function (el) {
        el.classList.remove("drop-target");
      });
      dragged = null;
    });
  });

  document.querySelectorAll(".board-column").forEach(function (section) {
    section.addEventListener("dragover", function (event) {
      if (dragged) {
        event.preventDefault();
        section.classList.add("drop-target");
      }
    });
    section.addEventListener("dragleave", function (event) {
      if (!section.contains(event.relatedTarget)) {
        section.classList.remove("drop-target");
      }
    });
    section.addEventListener("drop", function (event) {
      event.preventDefault();
      section.classList.remove("drop-target");
      if (!dragged || dragged.closest(".board-column") === section) {
        return;
      }
      send(dragged.querySelector("form.move-form"), section.dataset.stage, null);
    });
  });
})();
