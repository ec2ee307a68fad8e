import type { ComponentChildren, JSX } from "preact";
import { useI18n } from "./i18n";
import { Icon, type IconName } from "./icons";

/**
 * An inner screen: at its top a big "Back" link (the first thing a thumb reaches) and the screen's
 * title with its icon, so people who read little still know where they are; then its content, in
 * one column.
 *
 * @example
 * <InnerScreen icon="history" title={t("history.title")} onBack={props.onBack}>
 *   <ul class="list">...</ul>
 * </InnerScreen>
 */
export function InnerScreen(props: { icon: IconName; title: ComponentChildren; onBack: () => void; testId?: string; children: ComponentChildren }): JSX.Element {
  return (
    <section class="stack" data-testid={props.testId}>
      <BackLink onBack={props.onBack} />
      <h1>
        <Icon name={props.icon} /> {props.title}
      </h1>
      {props.children}
    </section>
  );
}

/**
 * The big "Back" link alone (a PIN pad has its own title); `label` says where back leads when it
 * is not just "Back".
 *
 * @example
 * <BackLink onBack={props.onBack} label={t("profiles.switch")} />
 */
export function BackLink(props: { onBack: () => void; label?: ComponentChildren }): JSX.Element {
  const { t } = useI18n();
  return (
    <button type="button" class="link" onClick={props.onBack}>
      <Icon name="back" flip /> {props.label ?? t("back")}
    </button>
  );
}
