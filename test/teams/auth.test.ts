import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Activity } from "../../adapters/teams/activity.ts";
import { ChannelAuth } from "../../adapters/teams/channel-auth.ts";
import { readTeamsConfig } from "../../adapters/teams/config.ts";
import { TeamsEmulator } from "../../adapters/teams/emulator/index.ts";
import { OpenIdKeys } from "../../adapters/teams/openid-keys.ts";
import { TeamsSso, teamsSignInProvider } from "../../adapters/teams/sso.ts";
import { BotTokenClient } from "../../adapters/teams/token-client.ts";
import { Directory } from "../../core/directory/directory.ts";
import { ManualClock } from "../support/manual-clock.ts";
import { AAD, DIRECTORY, MONDAY_10 } from "./support.ts";

const clock = new ManualClock(MONDAY_10);
let em: TeamsEmulator;
beforeAll(async () => {
  em = await new TeamsEmulator({ clock }).start();
  em.addUser({ aadObjectId: AAD.agent, name: "李娜" });
});
afterAll(() => em.stop());

const activity = (): Activity =>
  em.personalMessage(em.connector.users.get(AAD.agent)!, "hi") as unknown as Activity;

function channelAuth() {
  const keys = new OpenIdKeys({ metadataUrl: `${em.base}/v1/.well-known/openidconfiguration`, clock });
  return new ChannelAuth({ keys, appId: em.appId, clock });
}

describe("inbound token validation", () => {
  it("accepts a good token and tokens within the 5-minute skew", async () => {
    const auth = channelAuth();
    const a = activity();
    expect(await auth.verify(`Bearer ${await em.issuer.channelToken(em.serviceUrl)}`, a)).toEqual({
      ok: true,
    });
    const now = Math.floor(clock.now().getTime() / 1000);
    // Expired 4 minutes ago / valid from 4 minutes from now: inside the skew.
    expect(
      (
        await auth.verify(
          `Bearer ${await em.issuer.channelToken(em.serviceUrl, { at: now - 3600 - 240 })}`,
          a,
        )
      ).ok,
    ).toBe(true);
    expect(
      (await auth.verify(`Bearer ${await em.issuer.channelToken(em.serviceUrl, { at: now + 240 })}`, a)).ok,
    ).toBe(true);
    // serviceUrl compared case-insensitively, ignoring one trailing slash.
    const upper = await em.issuer.channelToken(em.serviceUrl.toUpperCase().replace(/\/$/, ""));
    expect((await auth.verify(`Bearer ${upper}`, a)).ok).toBe(true);
  });

  it("refuses each bad token with the status the reference gives", async () => {
    const auth = channelAuth();
    for (const bad of await em.badTokens()) {
      const r = await auth.verify(bad.authorization, activity());
      expect({ name: bad.name, ok: r.ok, status: r.ok ? 200 : r.status }).toEqual({
        name: bad.name,
        ok: false,
        status: bad.expect,
      });
    }
  });

  it("caches keys, refreshes on an unknown kid (rate-limited) and daily", async () => {
    const auth = channelAuth();
    const a = activity();
    const reads = () => em.issuer.keyReads;
    await auth.verify(`Bearer ${await em.issuer.channelToken(em.serviceUrl)}`, a);
    const afterFirst = reads();
    await auth.verify(`Bearer ${await em.issuer.channelToken(em.serviceUrl)}`, a);
    expect(reads()).toBe(afterFirst); // cached
    // Microsoft rotates its key: the new kid is unknown, one refresh finds it.
    await em.issuer.rotate();
    expect((await auth.verify(`Bearer ${await em.issuer.channelToken(em.serviceUrl)}`, a)).ok).toBe(true);
    const afterRotate = reads();
    expect(afterRotate).toBeGreaterThan(afterFirst);
    // A flood of unknown kids does not hammer the issuer: one refresh per cooldown.
    const stray = `Bearer ${await em.issuer.channelToken(em.serviceUrl, { key: em.issuer.strayKey })}`;
    for (let i = 0; i < 5; i++) expect((await auth.verify(stray, a)).ok).toBe(false);
    expect(reads() - afterRotate).toBeLessThanOrEqual(2);
    const afterFlood = reads();
    clock.advance(25 * 3_600_000);
    await auth.verify(`Bearer ${await em.issuer.channelToken(em.serviceUrl)}`, a);
    expect(reads()).toBeGreaterThan(afterFlood); // refreshed after a day
  });
});

describe("the bot's own token", () => {
  it("is fetched with a client-credentials form, cached until shortly before expiry", async () => {
    const config = readTeamsConfig(em.env());
    const client = new BotTokenClient(config, clock);
    const before = em.issuer.tokenRequests;
    const t1 = await client.token();
    expect(await client.token()).toBe(t1);
    expect(em.issuer.tokenRequests).toBe(before + 1);
    clock.advance(56 * 60_000); // within 5 minutes of the hour's expiry
    const t2 = await client.token();
    expect(em.issuer.tokenRequests).toBe(before + 2);
    expect(t2).not.toBe(t1);
    expect(em.issuer.validAccessToken(`Bearer ${t2}`)).toBe(true);
  });

  it("the emulated login host refuses a wrong secret, scope or body", async () => {
    const url = `${em.base}/${em.tenantId}/oauth2/v2.0/token`;
    const form = (o: Record<string, string>) =>
      fetch(url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(o),
      });
    const good = {
      grant_type: "client_credentials",
      client_id: em.appId,
      client_secret: em.appPassword,
      scope: "https://api.botframework.com/.default",
    };
    expect((await form(good)).status).toBe(200);
    expect((await form({ ...good, client_secret: "wrong" })).status).toBe(401);
    expect((await form({ ...good, scope: "https://graph.microsoft.com/.default" })).status).toBe(400);
    expect((await form({ ...good, grant_type: "password" })).status).toBe(400);
    const json = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(good),
    });
    expect(json.status).toBe(400);
    const client = new BotTokenClient({ ...readTeamsConfig(em.env()), appPassword: "wrong" }, clock);
    await expect(client.token()).rejects.toThrow(/HTTP 401/);
  });
});

describe("board single sign-on in a Teams tab", () => {
  it("maps a valid Entra token's oid to a person and refuses the rest", async () => {
    const config = readTeamsConfig(em.env());
    const sso = new TeamsSso({ config, directory: new Directory(DIRECTORY), clock });
    const provider = teamsSignInProvider(sso, config);
    expect(provider.id).toBe("teams");
    expect(provider.client.appId).toBe(em.appId);
    expect(await provider.exchange({ code: await em.ssoToken({ oid: AAD.agent }) })).toBe("agent-li");
    expect(
      await sso.personOf(
        await em.ssoToken({ oid: AAD.head, aud: `api://closeloop.example.com/${em.appId}` }),
      ),
    ).toBe("head-tech");
    expect(await sso.personOf(await em.ssoToken({ oid: AAD.stranger }))).toBeUndefined();
    expect(await sso.personOf(await em.ssoToken({ oid: AAD.agent, aud: "someone-else" }))).toBeUndefined();
    expect(await sso.personOf(await em.ssoToken({ oid: AAD.agent, tid: "another-tenant" }))).toBeUndefined();
    expect(
      await sso.personOf(await em.ssoToken({ oid: AAD.agent, iss: "https://evil.example/v2.0" })),
    ).toBeUndefined();
    expect(await sso.personOf(await em.ssoToken({ oid: AAD.agent, expired: true }))).toBeUndefined();
    expect(
      await sso.personOf(await em.ssoToken({ oid: AAD.agent, key: em.issuer.strayKey })),
    ).toBeUndefined();
    expect(await sso.personOf("not-a-token")).toBeUndefined();
  });
});
