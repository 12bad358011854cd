/* The header's menu button on small screens. Without this script the navigation simply
   stays open (the CSP forbids inline scripts, so this lives in a static file). */
(function () {
  "use strict";
  var header = document.querySelector(".site-header");
  var button = header && header.querySelector(".menu-toggle");
  if (!button) {
    return;
  }
  function setOpen(open) {
    header.classList.toggle("menu-closed", !open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }
  header.classList.add("menu-ready");
  setOpen(false);
  button.addEventListener("click", function () {
    setOpen(header.classList.contains("menu-closed"));
  });
})();
