"use client";
/** Creates an API token through POST /api/tokens and shows it once. */
import { useState } from "react";

export function ApiTokenForm(props: { csrf: string; labels: Record<string, string> }) {
  const [token, setToken] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="card"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const scopes = f.getAll("scopes").map(String);
        void fetch("/api/tokens", {
          method: "POST",
          headers: { "content-type": "application/json", "x-csrf-token": props.csrf },
          body: JSON.stringify({ name: f.get("name"), scopes }),
        })
          .then(async (r) => {
            const body = (await r.json()) as { token?: string; error?: { message: string } };
            if (!r.ok || !body.token) throw new Error(body.error?.message ?? r.statusText);
            setToken(body.token);
          })
          .catch((err: Error) => setError(err.message));
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
