import { render } from "preact";
import { openVerifierDb } from "./storage/db";
import { App } from "./ui/app";
import "./styles.css";

const root = document.getElementById("app");
if (root) {
  openVerifierDb()
    .then((db) => render(<App db={db} />, root))
    .catch((e: unknown) => {
      // Private browsing or a blocked database: nothing can be stored, so say so plainly.
      root.textContent = `This browser cannot store data for the verifier (${e instanceof Error ? e.name : "error"}).`;
    });
}
