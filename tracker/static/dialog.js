// A link with data-dialog="ID" opens the <dialog> of that id instead of its page;
// without JavaScript the link leads to the same content as a page of its own.
document.addEventListener("click", (event) => {
  const opener = event.target.closest("a[data-dialog]");
  const dialog = opener && document.getElementById(opener.dataset.dialog);
  if (!dialog || typeof dialog.showModal !== "function") return;
  event.preventDefault();
  dialog.showModal();
});
document.addEventListener("click", (event) => {
  const closer = event.target.closest("[data-close-dialog]");
  if (closer) closer.closest("dialog").close();
});
