// GOV.UK's time-out warning: a modal dialog shortly before an idle session is signed out
// (accounts.middleware.IdleSessionMiddleware), with a button to stay signed in. Without
// JavaScript the session still ends, and the sign-in page says why.
const dialog = document.getElementById("timeout-warning");

if (dialog && typeof dialog.showModal === "function" && document.getElementById("sign-out-form")) {
  const idle = Number(dialog.dataset.idleSeconds);
  const warning = Math.min(Number(dialog.dataset.warningSeconds), idle);
  const countdown = dialog.querySelector(".app-timeout-dialog__countdown");
  const announce = dialog.querySelector("[data-timeout-announce]");
  const stay = dialog.querySelector("[data-timeout-stay]");
  // The token of the header's sign-out form, which the dialog's "Sign out" button submits.
  const csrf = document.querySelector("#sign-out-form input[name=csrfmiddlewaretoken]");
  let warnTimer = null;
  let tick = null;
  let endsAt = 0;

  // The words come from the page, in its language (templates/base.html): "{count} minutes",
  // "You will be signed out in {time}.".
  const text = dialog.dataset;
  const words = (seconds) => {
    if (seconds >= 60) {
      const minutes = Math.ceil(seconds / 60);
      return (minutes === 1 ? text.minute : text.minutes).replace("{count}", String(minutes));
    }
    return (seconds === 1 ? text.second : text.seconds).replace("{count}", String(seconds));
  };
  const announcement = (seconds) => text.announcement.replace("{time}", words(seconds));

  const signedOut = () => {
    const next = encodeURIComponent(window.location.pathname + window.location.search);
    window.location.assign(`${dialog.dataset.signedOutUrl}?next=${next}`);
  };

  const update = () => {
    const left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
    countdown.textContent = words(left);
    // Screen readers hear the time left when the dialog opens and every 15 seconds after.
    if (left % 15 === 0 || left === 0) {
      announce.textContent = announcement(left);
    }
    if (left === 0) {
      clearInterval(tick);
      signedOut();
    }
  };

  const open = () => {
    endsAt = Date.now() + warning * 1000;
    announce.textContent = announcement(warning);
    dialog.showModal();
    stay.focus();
    tick = setInterval(update, 1000);
    update();
  };

  const start = () => {
    clearTimeout(warnTimer);
    clearInterval(tick);
    warnTimer = setTimeout(open, Math.max(0, idle - warning) * 1000);
  };

  stay.addEventListener("click", async () => {
    stay.disabled = true;
    try {
      const response = await fetch(dialog.dataset.keepAliveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf.value },
      });
      // Anything but 204 (a redirect to the sign-in page, say) means the session has ended.
      if (response.status !== 204) {
        signedOut();
        return;
      }
      dialog.close();
      start();
    } finally {
      stay.disabled = false;
    }
  });
  // Escape closes a modal dialog; that counts as choosing to stay.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    stay.click();
  });
  start();
}
