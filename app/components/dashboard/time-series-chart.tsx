import { BlockStack, Card, SkeletonBodyText, Text } from "@shopify/polaris";
import { useId } from "react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatDay } from "./format";
import { useHydrated } from "./use-hydrated";
import { VisuallyHidden } from "./visually-hidden";

export interface ChartSeries {
  key: string;
  label: string;
  colour: string;
}

export interface TimeSeriesChartProps {
  title: string;
  /** One sentence a screen reader announces with the chart (totals for the period). */
  description: string;
  days: readonly string[];
  series: readonly ChartSeries[];
  /** values[seriesKey][dayIndex], as plotted. */
  values: Readonly<Record<string, readonly number[]>>;
  /** How a value reads in the tooltip and the data table. */
  formatValue: (value: number) => string;
  /** Shorter labels for the value axis; defaults to formatValue. */
  formatTick?: (value: number) => string;
  emptyMessage?: string;
}

/**
 * A daily line chart (recharts). Charts measure the page, so they draw after hydration; the same
 * figures are always in a visually hidden table, which is what screen readers and the server
 * render get. The SVG carries the chart's name (aria-label, <title>) and description (<desc>).
 */
export function TimeSeriesChart({ title, description, days, series, values, formatValue, formatTick, emptyMessage }: TimeSeriesChartProps) {
  const hydrated = useHydrated();
  const headingId = useId();
  const rows = days.map((day, index) => {
    const row: Record<string, string | number> = { day };
    for (const line of series) row[line.key] = values[line.key]?.[index] ?? 0;
    return row;
  });
  const empty = series.every((line) => (values[line.key] ?? []).every((value) => value === 0));
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h3" variant="headingMd" id={headingId}>
          {title}
        </Text>
        <Text as="p" variant="bodySm" tone="subdued">
          {empty && emptyMessage ? emptyMessage : description}
        </Text>
        <div style={{ width: "100%", height: 240 }} data-chart={title}>
          {hydrated ? (
            <ResponsiveContainer width="100%" height="100%">
              <LineChart
                data={rows}
                accessibilityLayer
                role="img"
                aria-label={title}
                title={title}
                desc={description}
                margin={{ top: 8, right: 16, bottom: 0, left: 8 }}
              >
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="day" tickFormatter={(day: string) => formatDay(day).replace(/ \d{4}$/, "")} minTickGap={24} fontSize={12} />
                <YAxis tickFormatter={(value: number) => (formatTick ?? formatValue)(value)} width={80} fontSize={12} allowDecimals={false} />
                <Tooltip
                  labelFormatter={(day: string) => formatDay(day)}
                  formatter={(value: number, name: string) => [formatValue(value), name]}
                />
                <Legend />
                {series.map((line) => (
                  <Line
                    key={line.key}
                    type="monotone"
                    dataKey={line.key}
                    name={line.label}
                    stroke={line.colour}
                    strokeWidth={2}
                    dot={false}
                    isAnimationActive={false}
                  />
                ))}
              </LineChart>
            </ResponsiveContainer>
          ) : (
            <SkeletonBodyText lines={6} />
          )}
        </div>
        <VisuallyHidden>
          <table aria-labelledby={headingId}>
            <thead>
              <tr>
                <th scope="col">Day</th>
                {series.map((line) => (
                  <th scope="col" key={line.key}>
                    {line.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {days.map((day, index) => (
                <tr key={day}>
                  <th scope="row">{formatDay(day)}</th>
                  {series.map((line) => (
                    <td key={line.key}>{formatValue(values[line.key]?.[index] ?? 0)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </VisuallyHidden>
      </BlockStack>
    </Card>
  );
}
