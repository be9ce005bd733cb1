// Modal questions: the API key and confirmations. Native <dialog> keeps focus inside
// and closes on Escape; each resolves with the answer.
import { $ } from "./dom";

export function confirmAction(title: string, text: string, yes: string): Promise<boolean> {
  const dialog = $<HTMLDialogElement>("d-confirm");
  $("d-confirm-title").textContent = title;
  $("d-confirm-text").textContent = text;
  $("d-confirm-yes").textContent = yes;
  dialog.returnValue = "cancel";
  dialog.showModal();
  $("d-confirm-no").focus();
  return new Promise((resolve) => dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true }));
}

let asking: Promise<string> | null = null;

/** Asks for the API key (once at a time); `why` says what happened. */
export function askKey(why: string): Promise<string> {
  if (asking) return asking;
  const dialog = $<HTMLDialogElement>("d-key");
  const input = $<HTMLInputElement>("in-key");
  $("d-key-why").textContent = why;
  input.value = "";
  asking = new Promise((resolve) => {
    const form = $<HTMLFormElement>("f-key");
    const submit = (event: SubmitEvent) => {
      const key = input.value.trim();
      if (key === "") {
        event.preventDefault();
        return;
      }
      form.removeEventListener("submit", submit);
      asking = null;
      resolve(key);
    };
    form.addEventListener("submit", submit);
    // Escape would leave the app without a key: ask again.
    dialog.addEventListener("cancel", (event) => event.preventDefault());
  });
  dialog.showModal();
  input.focus();
  return asking;
}
