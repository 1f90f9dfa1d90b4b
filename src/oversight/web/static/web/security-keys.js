// WebAuthn for Oversight: register a security key, or sign in with one. No inline script (CSP).
(function () {
  "use strict";

  function fromBase64url(text) {
    const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0)).buffer;
  }

  function toBase64url(buffer) {
    const bytes = new Uint8Array(buffer);
    let text = "";
    bytes.forEach((b) => { text += String.fromCharCode(b); });
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function csrf(form) {
    return form.querySelector("input[name=csrfmiddlewaretoken]").value;
  }

  async function post(url, form, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(form) },
      body: JSON.stringify(body || {}),
    });
    const data = await response.json();
    if (!response.ok) {
      throw new Error(data.detail || "The security key could not be used.");
    }
    return data;
  }

  function credentialJson(credential) {
    const response = credential.response;
    const json = {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: { clientDataJSON: toBase64url(response.clientDataJSON) },
    };
    if (response.attestationObject) {
      json.response.attestationObject = toBase64url(response.attestationObject);
      json.response.transports = response.getTransports ? response.getTransports() : [];
    } else {
      json.response.authenticatorData = toBase64url(response.authenticatorData);
      json.response.signature = toBase64url(response.signature);
      json.response.userHandle = response.userHandle ? toBase64url(response.userHandle) : null;
    }
    return json;
  }

  function report(form, message) {
    const place = form.querySelector("[data-key-status]");
    place.textContent = message;
  }

  async function register(form) {
    const options = await post(form.dataset.optionsUrl, form);
    options.challenge = fromBase64url(options.challenge);
    options.user.id = fromBase64url(options.user.id);
    options.excludeCredentials = (options.excludeCredentials || []).map((c) => ({ ...c, id: fromBase64url(c.id) }));
    const credential = await navigator.credentials.create({ publicKey: options });
    const name = form.querySelector("input[name=name]").value;
    await post(form.dataset.verifyUrl, form, { credential: credentialJson(credential), name: name });
    window.location.reload();
  }

  async function signIn(form) {
    const options = await post(form.dataset.optionsUrl, form);
    options.challenge = fromBase64url(options.challenge);
    options.allowCredentials = (options.allowCredentials || []).map((c) => ({ ...c, id: fromBase64url(c.id) }));
    const credential = await navigator.credentials.get({ publicKey: options });
    const result = await post(form.dataset.verifyUrl, form, { credential: credentialJson(credential) });
    window.location.assign(result.next);
  }

  document.querySelectorAll("form[data-security-key]").forEach((form) => {
    if (!window.PublicKeyCredential) {
      form.hidden = true;
      return;
    }
    form.hidden = false;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      report(form, "Touch or unlock your security key…");
      const action = form.dataset.securityKey === "register" ? register : signIn;
      action(form).catch((error) => report(form, error.message));
    });
  });
})();
