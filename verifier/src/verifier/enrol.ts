import {
  ISSUER_ENDPOINTS,
  EnrolmentResponse,
  parseSetupCode,
  type EnrolmentRequest,
} from "@haki/redemption/setup";
import { verifyTrustBundle } from "@haki/redemption/trust-bundle";
import type { Enrolment, VerifierDb } from "../storage/db";
import { ensureDeviceKey } from "./device";
import { IssuerRequestError } from "./errors";
import { issuerUrl, postJson, type Fetch } from "./http";
import { refreshStatusLists } from "./refresh";

/**
 * Enrols this device once: reads the set-up code, sends the device's public key with the
 * one-time code, checks the trust bundle against the key the code pins, stores everything, then
 * fetches the status lists. Throws SetupCodeError, IssuerRequestError or TrustBundleError.
 *
 * @example
 * await enrolDevice({ db, setupText: pasted, deviceLabel: "Counter 2", fetch, now: Date.now });
 */
export async function enrolDevice(args: {
  db: VerifierDb;
  setupText: string;
  deviceLabel?: string;
  fetch: Fetch;
  now: () => number;
}): Promise<Enrolment> {
  const setup = parseSetupCode(args.setupText);
  const device = await ensureDeviceKey(args.db, args.now());
  const request: EnrolmentRequest = {
    code: setup.code,
    servicePoint: setup.servicePoint,
    deviceKey: device.publicJwk,
  };
  if (args.deviceLabel) request.deviceLabel = args.deviceLabel;
  const answer = EnrolmentResponse.safeParse(
    await postJson(args.fetch, issuerUrl(setup.issuer, ISSUER_ENDPOINTS.enrol), request),
  );
  if (!answer.success)
    throw new IssuerRequestError("The issuer's enrolment answer is incomplete", undefined, {
      cause: answer.error,
    });
  if (answer.data.servicePoint !== setup.servicePoint)
    throw new IssuerRequestError("The issuer enrolled this device for another service point");
  const bundle = await verifyTrustBundle(answer.data.bundle, { pinnedThumbprint: setup.bundleKey });
  if (!bundle.servicePoints.some((s) => s.id === setup.servicePoint)) {
    throw new IssuerRequestError("The trust bundle does not list this service point");
  }
  const enrolment: Enrolment = {
    issuer: setup.issuer,
    deviceId: answer.data.deviceId,
    servicePoint: setup.servicePoint,
    setup,
    enrolledAt: args.now(),
    ...(args.deviceLabel ? { deviceLabel: args.deviceLabel } : {}),
    ...(answer.data.bindingKeys?.length ? { bindingKeys: answer.data.bindingKeys } : {}),
  };
  await args.db.putTrust({ jws: answer.data.bundle, bundle, fetchedAt: args.now() });
  await args.db.putEnrolment(enrolment);
  await refreshStatusLists({ db: args.db, fetch: args.fetch, now: args.now });
  return enrolment;
}
