// A real OpenID Connect provider (panva's certified oidc-provider) for the portal's single
// sign-on tests only: never for production. Run as `node server.mjs config.json`; it listens on
// 127.0.0.1 and prints "READY <issuer>" when it is ready. See README.md for the config.
//
// Clients may misbehave on purpose, for the relying party's negative tests: "wrong-audience"
// gets ID tokens whose aud names another service, "expired" gets ID tokens that expired an hour
// ago. Both are re-signed with the provider's own key, so only that one claim is wrong.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

import * as jose from "jose";
import Provider from "oidc-provider";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const accounts = new Map(config.accounts.map((account) => [account.login, account]));
const behaviours = new Map(config.clients.map((c) => [c.client_id, c.behaviour || "normal"]));

const { privateKey } = await jose.generateKeyPair("RS256", { extractable: true });
const signingKey = { ...(await jose.exportJWK(privateKey)), kid: "test-key", alg: "RS256", use: "sig" };

const server = createServer();
await new Promise((resolve) => server.listen(config.port || 0, "127.0.0.1", resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: config.clients.map((client) => ({
    client_id: client.client_id,
    client_secret: client.client_secret,
    redirect_uris: client.redirect_uris,
    response_types: ["code"],
    grant_types: ["authorization_code"],
  })),
  jwks: { keys: [signingKey] },
  // Every client must send PKCE, so a relying party that does not is refused.
  pkce: { required: () => true },
  // The email and name go in the ID token, as Entra ID and Google put them there.
  conformIdTokenClaims: false,
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  features: { devInteractions: { enabled: false } },
  cookies: { keys: ["test-only-cookie-key"] },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const account = accounts.get(sub);
    if (!account) return undefined;
    return {
      accountId: sub,
      async claims() {
        return {
          sub,
          email: account.email,
          email_verified: account.email_verified ?? true,
          name: account.name,
        };
      },
    };
  },
});

const escape = (text) =>
  String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const loginPage = (uid, error) => `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in to the test provider</title></head>
<body><main>
<h1>Sign in to the test provider</h1>
${error ? `<p role="alert">${escape(error)}</p>` : ""}
<form method="post" action="/interaction/${escape(uid)}/login">
<label for="login">Username</label>
<input id="login" name="login" type="text" autocomplete="username">
<button type="submit">Sign in</button>
</form>
</main></body></html>`;

async function formBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

// Sign-in and consent: a username form, and consent granted for whatever was asked.
provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([^/]+)(\/login)?$/);
  if (!match) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (ctx.method === "POST" && match[2]) {
    const login = (await formBody(ctx.req)).get("login") || "";
    if (!accounts.has(login)) {
      ctx.type = "html";
      ctx.body = loginPage(details.uid, "There is no account with that username");
      return undefined;
    }
    const to = await provider.interactionResult(ctx.req, ctx.res, { login: { accountId: login } }, {
      mergeWithLastSubmission: false,
    });
    return ctx.redirect(to);
  }
  if (details.prompt.name === "login") {
    ctx.type = "html";
    ctx.body = loginPage(details.uid);
    return undefined;
  }
  const { prompt, params, session } = details;
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(" "));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(prompt.details.missingResourceScopes || {})) {
    grant.addResourceScope(indicator, scopes.join(" "));
  }
  const grantId = await grant.save();
  const to = await provider.interactionResult(ctx.req, ctx.res, { consent: { grantId } });
  return ctx.redirect(to);
});

// The misbehaving clients' ID tokens, changed after the token endpoint made them.
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path !== "/token" || ctx.status !== 200 || !ctx.body?.id_token) return;
  const behaviour = behaviours.get(ctx.oidc?.client?.clientId);
  if (behaviour === "normal" || !behaviour) return;
  const claims = jose.decodeJwt(ctx.body.id_token);
  const now = Math.floor(Date.now() / 1000);
  if (behaviour === "wrong-audience") claims.aud = "some-other-service";
  if (behaviour === "expired") Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
  ctx.body = {
    ...ctx.body,
    id_token: await new jose.SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid: signingKey.kid })
      .sign(privateKey),
  };
});

server.on("request", provider.callback());
process.on("SIGTERM", () => server.close(() => process.exit(0)));
process.stdout.write(`READY ${issuer}\n`);
