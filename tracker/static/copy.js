// Copy buttons for texts a browser cannot open as links (folder paths).
// Without JavaScript the buttons stay hidden and the path can be selected by hand.
document.querySelectorAll("button.copy-button").forEach(function (button) {
  var source = document.getElementById(button.dataset.copy);
  var status = button.parentElement.querySelector(".copy-status");
  if (!source) {
    return;
  }
  function done() {
    if (status) {
      status.textContent = button.dataset.copied;
    }
  }
  function fallback() {
    var range = document.createRange();
    range.selectNodeContents(source);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    if (document.execCommand && document.execCommand("copy")) {
      done();
    }
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(source.textContent).then(done, fallback);
    } else {
      fallback();
    }
  });
});
