import type { ChartSeries } from "./charts";

/**
 * A chart with its caption, an accessible name, and its figures in a table under "Show the figures"
 * (what a screen reader or a printout gets).
 */
export function ChartFigure(props: { id: string; title: string; svg: string; categories: string[]; series: ChartSeries[]; format: (n: number) => string; figuresLabel: string; categoryLabel: string }) {
  return (
    <figure className="chart card" aria-labelledby={`${props.id}-title`} data-testid={`chart-${props.id}`}>
      <figcaption id={`${props.id}-title`}>{props.title}</figcaption>
      <div role="img" aria-label={props.title} className="chart-svg" dangerouslySetInnerHTML={{ __html: props.svg }} />
      <details>
        <summary>{props.figuresLabel}</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{props.categoryLabel}</th>
              {props.series.map((s) => (
                <th scope="col" key={s.name}>
                  {s.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.categories.map((c, i) => (
              <tr key={`${c}-${i}`}>
                <th scope="row">{c}</th>
                {props.series.map((s) => (
                  <td key={s.name}>{props.format(s.data[i] ?? 0)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
