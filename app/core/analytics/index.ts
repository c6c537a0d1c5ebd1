// Dashboard metrics: pure functions over facts the analytics service reads from the database.
export { DEFAULT_PERIOD_LENGTH, PERIOD_LENGTHS, dayInPeriod, dayKeyOf, isPeriodLength, periodEndingOn } from "./period";
export type { PeriodLength, ReportingPeriod } from "./period";
export { meanMinor, shareOf } from "./rates";
export { computeOrderMetrics, lineRevenue, orderMetricsFromDayTotals, orderRevenue, unitsKept, withinOrderRevenue } from "./order-metrics";
export type { AttributedLineFact, DailyOrderPoint, DayOrderTotals, OrderFact, OrderMetrics } from "./order-metrics";
export { DASHBOARD_PLACEMENTS, FUNNEL_KINDS, IMPRESSION_KINDS, PLACEMENTS_WITHOUT_CLICKS, PLACEMENT_LABELS, computeDailyEvents, computePlacementFunnels, funnelStepOf } from "./widget-metrics";
export type { DailyEventPoint, DashboardPlacement, EventCount, FunnelStep, PlacementFunnel } from "./widget-metrics";
export { keysThatCanRankInTop, rankPerformers } from "./top-performers";
export type { AttributedLineDetail, KeyedEventCount, NamedPerformer, Performer } from "./top-performers";
export { describeBacktest } from "./backtest-summary";
export type { BacktestFigures, BacktestSummary, BacktestVerdict, LiftInterval } from "./backtest-summary";
