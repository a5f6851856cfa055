import { createRoot } from 'react-dom/client';
import { initI18n } from '../i18n';
import { App } from './App';
import './cashier.css';

initI18n();
createRoot(document.getElementById('root')!).render(<App />);
