"use server";
/**
 * Server actions of the imports page for DCI registry sources (the CSV source form uses
 * saveSourceAction in app/actions.ts). Same pattern: session + CSRF, one domain call, redirect.
 */
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { getServerContext } from "@/server/context";
import { requireActionSession } from "@/server/web/page-session";
import { runAction } from "@/server/web/action-result";
import { saveDciSource } from "@/server/registry/dci-source";
import { parseDciSourceForm } from "@/server/registry/dci-form";

export async function saveDciSourceAction(form: FormData): Promise<void> {
  const { actor } = await requireActionSession(form);
  await runAction("/imports", () => saveDciSource(getServerContext(), parseDciSourceForm(form), actor));
  revalidatePath("/imports");
  redirect("/imports");
}
