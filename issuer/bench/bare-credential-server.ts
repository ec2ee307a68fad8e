/**
 * The physical limit the load benchmark compares the credential endpoint with: a bare node:http
 * handler doing the same signature work per request and nothing else (no framework, no database,
 * no protocol checks): read the JSON body, verify the holder's proof JWT (Ed25519, the key from its
 * `kid` did:key) and sign a credential of the issuer's size (Ed25519), answer the OpenID4VCI shape.
 *   node --import tsx issuer/bench/bare-credential-server.ts <port>
 */
import { createServer } from "node:http";
import { generateKeyPairSync, sign, verify } from "node:crypto";
import { publicJwkFromDid } from "@haki/credentials/did";

const port = Number(process.argv[2] ?? 3999);
const issuer = generateKeyPairSync("ed25519").privateKey;
// A credential the size of the issuer's (about 1.2 KB of claims).
const claims = JSON.stringify({ "@context": ["https://www.w3.org/ns/credentials/v2"], credentialSubject: { beneficiary: "HK-B00000042" }, pad: "x".repeat(1100) });
const header = Buffer.from(JSON.stringify({ alg: "EdDSA", typ: "vc+jwt", kid: "did:web:issuer.bench.test#key-1" })).toString("base64url");
createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { proofs: { jwt: string[] } };
      const proof = body.proofs.jwt[0]!;
      const [h, p, s] = proof.split(".");
      const kid = (JSON.parse(Buffer.from(h!, "base64url").toString()) as { kid: string }).kid;
      const jwk = publicJwkFromDid(kid.split("#")[0]!);
      const ok = verify(null, Buffer.from(`${h}.${p}`), { key: { kty: "OKP", crv: "Ed25519", x: jwk.x }, format: "jwk" }, Buffer.from(s!, "base64url"));
      if (!ok) throw new Error("bad proof");
      const payload = Buffer.from(claims).toString("base64url");
      const credential = `${header}.${payload}.${sign(null, Buffer.from(`${header}.${payload}`), issuer).toString("base64url")}`;
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(JSON.stringify({ credentials: [{ credential }] }));
    } catch {
      res.writeHead(400, { "content-type": "application/json" });
      res.end('{"error":"invalid_proof"}');
    }
  });
}).listen(port, "127.0.0.1", () => console.log(`bare credential server on ${port}`));
