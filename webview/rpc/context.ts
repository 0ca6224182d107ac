import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ModelStore } from '../stores/ModelStore';
import type { ProviderStore } from '../stores/ProviderStore';
import type { RpcClient } from './RpcClient';

export interface DataLayer {
  readonly rpc: RpcClient;
  readonly models: ModelStore;
  readonly providers: ProviderStore;
}

export const DataContext = createContext<DataLayer | undefined>(undefined);

export function useData(): DataLayer {
  const data = useContext(DataContext);
  if (!data) throw new Error('The data layer is missing (render inside <DataContext.Provider>).');
  return data;
}
