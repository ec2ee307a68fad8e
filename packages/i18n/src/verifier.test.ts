import { describe, expect, it } from "vitest";
import { loadVerifierI18n, verifierI18nIfLoaded } from "./verifier";

describe("the verifier's catalogs", () => {
  it("has English at once and loads another language on first use, falling back to English for a missing key", async () => {
    expect(verifierI18nIfLoaded("en")?.t("home.refresh")).toBe("Update now");
    expect(verifierI18nIfLoaded("sw")).toBeUndefined();
    const sw = await loadVerifierI18n("sw");
    expect(sw.t("home.refresh")).not.toBe("Update now");
    expect(sw.t("home.refresh")).toMatch(/\S/);
    expect(verifierI18nIfLoaded("sw")?.t("home.refresh")).toBe(sw.t("home.refresh"));
    expect(sw.t("no.such.key")).toBe("no.such.key");
    expect((await loadVerifierI18n("ar")).dir()).toBe("rtl");
  });
});
