import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { findServicesClient } from './api/services-client.ts';
import { App, NoBridge } from './app.tsx';
import './styles/app.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
const client = findServicesClient();
createRoot(container).render(<StrictMode>{client ? <App client={client} /> : <NoBridge />}</StrictMode>);
