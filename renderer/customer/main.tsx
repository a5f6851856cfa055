import { createRoot } from 'react-dom/client';
import { CustomerApp } from './CustomerApp';
import './customer.css';

createRoot(document.getElementById('root')!).render(<CustomerApp />);
