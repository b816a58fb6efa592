// Sign-in at the node's broker: OpenID Connect code flow with PKCE for a public client. The access token lives in this
// tab's sessionStorage only, and is sent as a Bearer token to the node's own APIs.
import { button, element } from "./dom.js";

const sessionKey = "genome-node.session";
const pendingKey = "genome-node.sign-in";

let configuration;

export async function webConfig() {
  configuration ??= fetch("web/api/config").then(r => r.json());
  return configuration;
}

function base64Url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function claimsOf(jwt) {
  const part = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(part), c => c.charCodeAt(0))));
}

/** The signed-in user of this tab, or null (also once the token has expired). */
export function currentSession() {
  const stored = JSON.parse(sessionStorage.getItem(sessionKey) ?? "null");
  if (stored && stored.expiresAt > Date.now()) {
    return stored;
  }
  sessionStorage.removeItem(sessionKey);
  return null;
}

export function forgetSession() {
  sessionStorage.removeItem(sessionKey);
}

export function authorization() {
  const session = currentSession();
  return session ? { Authorization: `Bearer ${session.accessToken}` } : {};
}

function pageUrl() {
  return location.origin + location.pathname;
}

export async function signIn() {
  const config = await webConfig();
  const verifier = base64Url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64Url(crypto.getRandomValues(new Uint8Array(16)));
  const challenge = base64Url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  sessionStorage.setItem(pendingKey, JSON.stringify({ state, verifier, redirectUri: pageUrl() }));
  const query = new URLSearchParams({
    client_id: config.clientId, response_type: "code", redirect_uri: pageUrl(), state,
    scope: "openid profile ga4gh_passport_v1", code_challenge: challenge, code_challenge_method: "S256",
  });
  location.assign(`${config.authorizeEndpoint}?${query}`);
}

/** Finishes a sign-in the broker redirected back with (?code=...&state=...); null when the page was not such a return. */
export async function completeSignIn() {
  const answer = new URLSearchParams(location.search);
  if (!answer.has("code") && !answer.has("error")) {
    return null;
  }
  const pending = JSON.parse(sessionStorage.getItem(pendingKey) ?? "null");
  sessionStorage.removeItem(pendingKey);
  history.replaceState(null, "", location.pathname);
  if (answer.has("error")) {
    throw new Error(`the broker refused the sign-in: ${answer.get("error")} ${answer.get("error_description") ?? ""}`);
  }
  if (!pending || pending.state !== answer.get("state")) {
    throw new Error("this sign-in answer does not belong to a sign-in started in this tab");
  }
  const config = await webConfig();
  const response = await fetch(config.tokenEndpoint, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code", code: answer.get("code"), redirect_uri: pending.redirectUri,
      client_id: config.clientId, code_verifier: pending.verifier,
    }),
  });
  const tokens = await response.json();
  if (!response.ok) {
    throw new Error(`the broker refused the code: ${tokens.error_description ?? tokens.error}`);
  }
  const claims = claimsOf(tokens.access_token);
  const session = {
    accessToken: tokens.access_token, idToken: tokens.id_token, subject: claims.sub, name: claims.name ?? claims.sub,
    expiresAt: Date.now() + tokens.expires_in * 1000,
  };
  sessionStorage.setItem(sessionKey, JSON.stringify(session));
  return session;
}

export async function signOut() {
  const session = currentSession();
  sessionStorage.removeItem(sessionKey);
  const config = await webConfig();
  if (session?.idToken) {
    const query = new URLSearchParams({ id_token_hint: session.idToken, post_logout_redirect_uri: pageUrl() });
    location.assign(`${config.logoutEndpoint}?${query}`);
  } else {
    location.reload();
  }
}

/** Fills the header's session area: who is signed in with a sign-out button, or a sign-in button. */
export async function showSession(container, onError) {
  const config = await webConfig();
  const session = currentSession();
  if (session) {
    const who = element("span", `Signed in as ${session.name}`);
    who.dataset.subject = session.subject;
    container.replaceChildren(who, button("Sign out", undefined, () => signOut().catch(onError)));
  } else if (config.clientId) {
    container.replaceChildren(element("span", "Not signed in"), button("Sign in", "primary", () => signIn().catch(onError)));
  } else {
    container.replaceChildren(element("span", "Sign-in is not configured on this node"));
  }
  return session;
}
