/**
 * The wallet app: a small state machine of screens. The unlocked session (data key) lives only in
 * memory; locking, switching person or closing the app forgets it.
 */
import type { JSX } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import type { Locale } from "@haki/i18n/core";
import { openWalletDb, type WalletDb } from "../storage/db";
import { listProfiles, type ProfileSummary, type Session } from "../storage/profiles";
import { errorText } from "./errors";
import { I18nContext, LanguageSelect, applyLocale, initialLocale } from "./i18n";
import { Icon } from "./icons";
import { applyTextSize, initialTextSize, type TextSize } from "./text-size";
import { ChangePin, CreateProfile, ProfilePicker, Unlock } from "./screens/profiles";
import { lazyModule, screenRouter } from "@haki/pwa/preact";
import { useServiceWorker } from "./sw-register";

// The first screens (who is using the phone, PIN) are in the first load; the rest (their routes are
// `lazyModule(...).route`s) comes while the PIN is being checked (PBKDF2 takes about a second on a cheap phone)
// or on first use. The service worker has every chunk, so this costs nothing offline.

type View =
  | { name: "profiles" }
  | { name: "create" }
  | { name: "restore" }
  | { name: "unlock"; profile: ProfileSummary }
  /** `flash`: an i18n key, translated when shown (so it follows a language switch). */
  | { name: "cards"; flash?: string; flashText?: string }
  | { name: "card"; id: string }
  | { name: "present"; id: string; jwt: string; label: string }
  | { name: "receive"; offer?: string }
  /** Answering a service's OpenID4VP request (scanned, pasted, or opened as a link). */
  | { name: "share"; request?: string }
  | { name: "backup" }
  | { name: "history" }
  | { name: "settings" }
  | { name: "change-pin" };

/** The screens before a person is unlocked, and with their session. */
const signedOutRouter = screenRouter<View>();
const sessionRouter = screenRouter<View>();

/** An offer link opened from outside (`?credential_offer=...` or `?credential_offer_uri=...`). */
function offerFromLocation(): string | undefined {
  const href = location.href;
  return /[?&#]credential_offer(_uri)?=/.test(href) ? href : undefined;
}

/**
 * A service's request opened as a link to this wallet (same device): `?client_id=...&request=...`
 * or `&request_uri=...`, as OpenID4VP's request parameters on the wallet's own URL.
 */
function presentationRequestFromLocation(): string | undefined {
  const params = new URLSearchParams(location.search);
  return params.has("client_id") && (params.has("request") || params.has("request_uri")) ? location.href : undefined;
}

function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    addEventListener("online", on);
    addEventListener("offline", off);
    return () => {
      removeEventListener("online", on);
      removeEventListener("offline", off);
    };
  }, []);
  return online;
}

export function App(): JSX.Element {
  const [locale, setLocale] = useState<Locale>(initialLocale);
  const [textSize, setTextSize] = useState<TextSize>(initialTextSize);
  useEffect(() => applyTextSize(textSize), [textSize]);
  const t = useMemo(() => applyLocale(locale), [locale]);
  const i18n = useMemo(() => ({ locale, t, setLocale }), [locale, t]);
  const [db, setDb] = useState<WalletDb>();
  const [fatal, setFatal] = useState<string>();
  const [profiles, setProfiles] = useState<ProfileSummary[]>([]);
  const [view, setView] = useState<View>({ name: "profiles" });
  const [session, setSession] = useState<Session>();
  const [version, setVersion] = useState(0);
  const [pendingOffer, setPendingOffer] = useState(offerFromLocation);
  const [pendingRequest, setPendingRequest] = useState(presentationRequestFromLocation);
  const online = useOnline();
  const presenting = view.name === "present";
  const sw = useServiceWorker();

  useEffect(() => {
    openWalletDb()
      .then(async (d) => {
        setDb(d);
        const ps = await listProfiles(d);
        setProfiles(ps);
        if (ps.length === 1 && ps[0]) setView({ name: "unlock", profile: ps[0] });
      })
      .catch((e: unknown) => setFatal(errorText(e, t)));
  }, []);

  const signedIn = (s: Session) => {
    setSession(s);
    if (pendingOffer) {
      setView({ name: "receive", offer: pendingOffer });
      setPendingOffer(undefined);
      history.replaceState(null, "", location.pathname);
    } else if (pendingRequest) {
      setView({ name: "share", request: pendingRequest });
      setPendingRequest(undefined);
      history.replaceState(null, "", location.pathname);
    } else setView({ name: "cards" });
  };

  const lock = async () => {
    setSession(undefined);
    if (db) setProfiles(await listProfiles(db));
    setView({ name: "profiles" });
  };


  const toCards = (flash?: string) => (setVersion((v) => v + 1), setView(flash ? { name: "cards", flash } : { name: "cards" }));
  // What every screen of a person's session gets: the wallet's database and the unlocked session.
  const unlocked = db && session ? { db, session } : undefined;
  const body = fatal ? (
    <p class="alert bad">{fatal}</p>
  ) : !db ? (
    <p role="status">{t("pin.working")}</p>
  ) : !unlocked ? (
    signedOutRouter.routeTo(
      view,
      {
        create: () => <CreateProfile db={db} onDone={signedIn} onCancel={() => setView({ name: "profiles" })} />,
        restore: lazyModule(() => import("./screens/backup")).route(({ Restore }) => <Restore db={db} onDone={(s) => (setSession(s), setView({ name: "cards", flash: "backup.restored" }))} onBack={() => setView({ name: "profiles" })} />),
        unlock: (v) => <Unlock db={db} profile={v.profile} onDone={signedIn} onBack={() => setView({ name: "profiles" })} />,
      },
      () => (
        <ProfilePicker
          profiles={profiles}
          onPick={(p) => setView({ name: "unlock", profile: p })}
          onAdd={() => setView({ name: "create" })}
          onRestore={() => setView({ name: "restore" })}
        />
      ),
    )
  ) : (
    sessionRouter.routeTo(
      view,
      {
        card: lazyModule(() => import("./screens/card-detail")).route(({ CardDetail }, v) => (
          <CardDetail
            {...unlocked}
            id={v.id}
            version={version}
            onPresent={(card) => setView({ name: "present", ...card })}
            onDeleted={() => toCards("cards.deleted")}
            onBack={() => toCards()}
          />
        )),
        present: lazyModule(() => import("./screens/present")).route(({ Present }, v) => <Present {...unlocked} id={v.id} jwt={v.jwt} label={v.label} onDone={() => setView({ name: "card", id: v.id })} />),
        receive: lazyModule(() => import("./screens/receive")).route(({ Receive }, v) => <Receive {...unlocked} initialOffer={v.offer} onDone={() => toCards("receive.done")} onBack={() => toCards()} />),
        backup: lazyModule(() => import("./screens/backup")).route(({ Backup }) => <Backup {...unlocked} onBack={() => setView({ name: "settings" })} />),
        history: lazyModule(() => import("./screens/history")).route(({ History }) => <History {...unlocked} onBack={() => toCards()} />),
        settings: lazyModule(() => import("./screens/settings")).route(({ Settings }) => (
          <Settings
            textSize={textSize}
            onTextSize={setTextSize}
            onChangePin={() => setView({ name: "change-pin" })}
            onBackup={() => setView({ name: "backup" })}
            onBack={() => toCards()}
          />
        )),
        share: lazyModule(() => import("./screens/share")).route(({ Share }, v) => (
          <Share
            {...unlocked}
            initialRequest={v.request}
            onDone={(message) => (setVersion((n) => n + 1), setView({ name: "cards", flashText: message }))}
            onBack={() => setView({ name: "cards" })}
          />
        )),
        "change-pin": () => <ChangePin {...unlocked} onDone={(s) => (setSession(s), toCards("pin.changed"))} onBack={() => setView({ name: "settings" })} />,
      },
      lazyModule(() => import("./screens/cards")).route(({ CardList }, v) => (
        <CardList
          {...unlocked}
          version={version}
          flash={v.name === "cards" ? (v.flashText ?? (v.flash ? t(v.flash) : undefined)) : undefined}
          onOpen={(id) => setView({ name: "card", id })}
          onReceive={() => setView({ name: "receive" })}
          onShare={() => setView({ name: "share" })}
          online={online}
        />
      )),
    )
  );

  return (
    <I18nContext.Provider value={i18n}>
      <div class={presenting ? "app presenting" : "app"}>
        {!presenting && (
          <header class="topbar">
            <span class="brand">
              <Icon name="card" /> {t("title")}
            </span>
            <label class="lang">
              <Icon name="globe" />
              <span class="sr-only">{t("language")}</span>
              <LanguageSelect name="language" />
            </label>
          </header>
        )}
        {!online && !presenting && (
          <p class="offline" role="status">
            <Icon name="offline" /> {t("offline")}
          </p>
        )}
        {sw.updateReady && !presenting && (
          <div class="update" role="status">
            <span>{t("update.ready")}</span>
            <button type="button" class="big primary" onClick={sw.applyUpdate}>
              {t("update.install")}
            </button>
          </div>
        )}
        {/* A new screen starts at its top (a fresh element: the scroll of the last one is not kept). */}
        <main key={`${view.name}:${"id" in view ? view.id : ""}`}>{body}</main>
        {session && !presenting && (
          <nav class="bottom" aria-label={t("menu.label")}>
            <button type="button" onClick={() => setView({ name: "cards" })} aria-current={view.name === "cards" ? "page" : undefined}>
              <Icon name="card" />
              <span>{t("menu.cards")}</span>
            </button>
            <button type="button" onClick={() => setView({ name: "history" })} aria-current={view.name === "history" ? "page" : undefined}>
              <Icon name="history" />
              <span>{t("menu.history")}</span>
            </button>
            <button type="button" onClick={() => setView({ name: "settings" })} aria-current={view.name === "settings" ? "page" : undefined} data-testid="nav-settings">
              <Icon name="gear" />
              <span>{t("menu.settings")}</span>
            </button>
            <button type="button" onClick={() => void lock()} data-testid="lock">
              <Icon name="lock" />
              <span>
                {session.profile.label}: {t("profiles.lock")}
              </span>
            </button>
          </nav>
        )}
      </div>
    </I18nContext.Provider>
  );
}
