import type { ComponentChildren, JSX } from "preact";

/** One button of a screen's row: the `main` one big and primary (the thumb's target), the others secondary. */
export interface Action {
  label: ComponentChildren;
  onClick: () => void;
  main?: boolean;
  testId?: string;
  disabled?: boolean;
}

/**
 * A screen's row of buttons, in the order given; a `false` entry is a button this screen does not
 * show now.
 *
 * @example
 * <Actions actions={[{ label: t("home.scan"), main: true, testId: "scan", onClick: props.onScan }, { label: t("scan.cancel"), onClick: props.onCancel }]} />
 */
export function Actions(props: { actions: (Action | false)[] }): JSX.Element {
  return (
    <div class="actions">
      {props.actions.map(
        (a) =>
          a && (
            <button type="button" class={a.main ? "primary big" : "secondary"} data-testid={a.testId} disabled={a.disabled} onClick={a.onClick}>
              {a.label}
            </button>
          ),
      )}
    </div>
  );
}
