/* The keyboard matrix editor (progressive enhancement; loaded after htmx).
 *
 * Without this file every cell is a link to a normal edit page. With it:
 * - the cells form one tab stop with a roving tabindex; arrow keys, Home and End move,
 * - Enter or Space opens the cell's form (htmx GET) in a <dialog>,
 * - Save (htmx POST) re-renders the cell, closes the dialog, returns the focus to the cell and
 *   announces the result in a polite live region; Escape or "Annuleren" closes without saving.
 * No inline scripts or styles: the page's strict CSP stays intact.
 */
(function () {
  "use strict";

  var table = document.querySelector("[data-editor=matrix]");
  var dialog = document.getElementById("cell-dialog");
  var dialogBody = document.getElementById("cell-dialog-body");
  var status = document.getElementById("editor-status");
  if (!table || !dialog || !dialogBody) {
    return;
  }
  var activeId = null;

  function buttons() {
    return Array.prototype.slice.call(table.querySelectorAll(".paraat-ecell__button"));
  }

  function position(button) {
    var cell = button.closest("td");
    var row = cell.parentElement;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var cells = Array.prototype.slice.call(row.querySelectorAll("td"));
    return { row: rows.indexOf(row), col: cells.indexOf(cell) };
  }

  function buttonAt(row, col) {
    var rows = table.tBodies[0].rows;
    if (row < 0 || row >= rows.length) {
      return null;
    }
    var cells = rows[row].querySelectorAll("td");
    if (col < 0 || col >= cells.length) {
      return null;
    }
    return cells[col].querySelector(".paraat-ecell__button");
  }

  function prepare(button) {
    button.setAttribute("role", "button");
    button.setAttribute("aria-haspopup", "dialog");
  }

  function setActive(button, focus) {
    buttons().forEach(function (b) {
      prepare(b);
      b.setAttribute("tabindex", b === button ? "0" : "-1");
    });
    activeId = button.getAttribute("data-cell");
    if (focus) {
      button.focus();
    }
  }

  function activeButton() {
    var cell = activeId && document.getElementById(activeId);
    return (cell && cell.querySelector(".paraat-ecell__button")) || buttons()[0] || null;
  }

  function announce(message) {
    if (!status) {
      return;
    }
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = message;
    }, 50);
  }

  // Initial state: one tab stop, on the cell named in the address (after a save without JS).
  var start = null;
  if (window.location.hash) {
    var target = document.getElementById(window.location.hash.slice(1));
    start = target && target.querySelector(".paraat-ecell__button");
  }
  if (buttons().length) {
    setActive(start || buttons()[0], false);
  }

  table.addEventListener("keydown", function (event) {
    var button = event.target.closest(".paraat-ecell__button");
    if (!button) {
      return;
    }
    var at = position(button);
    var next = null;
    switch (event.key) {
      case "ArrowRight": next = buttonAt(at.row, at.col + 1); break;
      case "ArrowLeft": next = buttonAt(at.row, at.col - 1); break;
      case "ArrowDown": next = buttonAt(at.row + 1, at.col); break;
      case "ArrowUp": next = buttonAt(at.row - 1, at.col); break;
      case "Home": next = event.ctrlKey ? buttonAt(0, 0) : buttonAt(at.row, 0); break;
      case "End":
        var last = table.tBodies[0].rows.length - 1;
        var row = event.ctrlKey ? last : at.row;
        next = buttonAt(row, table.tBodies[0].rows[row].querySelectorAll("td").length - 1);
        break;
      case " ":
      case "Spacebar":
        event.preventDefault();
        button.click();
        return;
      default:
        return;
    }
    event.preventDefault();
    if (next) {
      setActive(next, true);
    }
  });

  table.addEventListener("click", function (event) {
    var button = event.target.closest(".paraat-ecell__button");
    if (button) {
      setActive(button, false);
    }
  });

  function firstField() {
    var form = dialogBody.querySelector("form");
    if (!form) {
      return null;
    }
    var invalid = form.querySelector(".utrecht-form-field--invalid input, .utrecht-form-field--invalid select, .utrecht-form-field--invalid textarea");
    return invalid || form.querySelector("input[name=effect]:checked") || form.querySelector("input[name=effect]");
  }

  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target === dialogBody) {
      if (!dialog.open) {
        dialog.showModal();
      }
      var field = firstField();
      if (field) {
        field.focus();
      }
    }
  });

  document.body.addEventListener("htmx:afterSettle", function (event) {
    // A re-rendered cell: keep the roving tabindex and the cell's place in it.
    var cell = event.detail.target;
    if (cell && cell.classList && cell.classList.contains("paraat-ecell")) {
      var button = cell.querySelector(".paraat-ecell__button");
      if (button) {
        setActive(button, false);
      }
    }
  });

  document.body.addEventListener("paraat:cell-saved", function (event) {
    var detail = event.detail || {};
    var cell = document.getElementById(detail.cell);
    var button = cell && cell.querySelector(".paraat-ecell__button");
    if (button) {
      activeId = detail.cell;
    }
    if (dialog.open) {
      dialog.close();
    }
    if (button) {
      setActive(button, true);
    }
    announce(detail.message || "");
  });

  document.body.addEventListener("htmx:responseError", function () {
    announce(status ? status.getAttribute("data-error") || "" : "");
  });

  dialog.addEventListener("close", function () {
    dialogBody.innerHTML = "";
    var button = activeButton();
    if (button) {
      setActive(button, true);
    }
  });

  dialog.addEventListener("click", function (event) {
    var cancel = event.target.closest("[data-editor-cancel]");
    if (cancel) {
      event.preventDefault();
      dialog.close();
    }
  });

  dialog.addEventListener("keydown", function (event) {
    // Enter in the evidence search looks up items instead of saving the form.
    if (event.key === "Enter" && event.target.matches("[data-evidence-search]")) {
      event.preventDefault();
      htmx.trigger(event.target, "search");
    }
  });
})();
