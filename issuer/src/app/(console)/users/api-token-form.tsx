"use client";
/** Creates an API token (server action) and shows it once. */
import { useState } from "react";
import { createApiTokenAction } from "@/app/actions";

export function ApiTokenForm(props: { csrf: string; labels: Record<string, string> }) {
  const [token, setToken] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="card"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const scopes = f.getAll("scopes").map(String) as ("issue" | "issue:any" | "verify")[];
        setError(null);
        createApiTokenAction(props.csrf, { name: String(f.get("name") ?? ""), scopes })
          .then((r) => (r.ok ? setToken(r.value.token) : setError(r.message)))
          .catch(() => setError(props.labels.failed ?? ""));
      }}
    >
      <div className="row">
        <label>
          {props.labels.name}
          <br />
          <input name="name" required />
        </label>
        <label>
          <input type="checkbox" name="scopes" value="issue" /> issue
        </label>
        <label>
          <input type="checkbox" name="scopes" value="issue:any" /> issue:any
        </label>
        <label>
          <input type="checkbox" name="scopes" value="verify" defaultChecked /> verify
        </label>
        <button type="submit">{props.labels.create}</button>
      </div>
      {token ? (
        <p>
          <code style={{ wordBreak: "break-all" }}>{token}</code>
          <br />
          <span className="muted">{props.labels.once}</span>
        </p>
      ) : null}
      {error ? <p className="error">{error}</p> : null}
    </form>
  );
}
