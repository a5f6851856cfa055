import { createRoot } from 'react-dom/client';

function Placeholder() {
  return <p>WeChat Pay</p>;
}

createRoot(document.getElementById('root')!).render(<Placeholder />);
