/** The shared `common` catalogs, alone (for the benefit in words and the apps' own entry points). */
import ar from "../messages/ar.common.json";
import en from "../messages/en.common.json";
import fr from "../messages/fr.common.json";
import sw from "../messages/sw.common.json";

export const commonResources = { en: { common: en }, fr: { common: fr }, ar: { common: ar }, sw: { common: sw } } as const;
