"use client";
/** Creates an API token (server action) and shows it once. */
import { useState } from "react";
import { createApiTokenAction } from "@/app/actions";
import { DataForm, useActionMessage, useConsole } from "@/app/(console)/kit";

export function ApiTokenForm(props: { labels: Record<string, string> }) {
  const { csrf } = useConsole();
  const [token, setToken] = useState<string | null>(null);
  const { message: error, send, clear } = useActionMessage(props.labels.failed ?? "");
  return (
    <DataForm
      className="card"
      onData={(f) => {
        const scopes = f.getAll("scopes").map(String) as ("issue" | "issue:any" | "verify")[];
        clear();
        void send(createApiTokenAction(csrf, { name: String(f.get("name") ?? ""), scopes }), (v) => setToken(v.token));
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
    </DataForm>
  );
}
