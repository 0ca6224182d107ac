import type { BudgetInputView, ChartPeriodView, ClientFilterView } from '../../src/protocol';
import { useMethodMutation, useMethodQuery } from '../hooks/method';

export function useUsageReport(period: ChartPeriodView, client: ClientFilterView | undefined, version: number) {
  return useMethodQuery('usage.report', { period, ...(client === undefined ? {} : { client }) }, { deps: [version] });
}

export function useUsageSeries(period: ChartPeriodView, client: ClientFilterView | undefined, version: number) {
  return useMethodQuery('usage.series', { period, ...(client === undefined ? {} : { client }) }, { deps: [version] });
}

export function useUsageClients(version: number) {
  return useMethodQuery('usage.clients', {}, { deps: [version] });
}

export function useExportCsv() {
  return useMethodMutation('usage.exportCsv');
}

export function useHealth() {
  return useMethodQuery('health.list', {});
}

export function useCheckHealth() {
  return useMethodMutation<'health.check', undefined>('health.check', () => ({}));
}

export function useBudgets(version: number) {
  // A budget set from the palette shows at once: the host says so.
  return useMethodQuery('budgets.list', {}, { deps: [version], reloadOn: ['budgetsChanged'] });
}

export function useSaveBudget() {
  return useMethodMutation('budgets.save', (budget: BudgetInputView) => ({ budget }));
}

export function useDeleteBudget() {
  return useMethodMutation('budgets.delete', (id: string) => ({ id }));
}

export function useGatewayBudgets(version: number) {
  return useMethodQuery('gatewayBudgets.list', {}, { deps: [version] });
}

/** Reads the proxies when the dashboard opens (recent reads reused) and afresh on each Refresh (`refreshes` > 0). */
export function useGatewayBudgetRead(refreshes: number) {
  return useMethodQuery('gatewayBudgets.refresh', { force: refreshes > 0 }, { deps: [refreshes] });
}
