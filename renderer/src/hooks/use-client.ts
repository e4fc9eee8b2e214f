import { createContext, useContext } from 'react';
import type { ServicesClient } from '../api/services-client.ts';

export const ClientContext = createContext<ServicesClient | undefined>(undefined);

/** The services client of this page (provided once by the app shell). */
export function useClient(): ServicesClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient() outside <ClientContext.Provider>');
  return client;
}
