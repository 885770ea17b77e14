import type React from "react";
import { createRoot } from "react-dom/client";

function App(): React.JSX.Element {
  return (
    <main>
      <h1>Journaling Assistant</h1>
      <p>Sets up Microsoft 365 journaling to your email-security service.</p>
    </main>
  );
}

const container = document.getElementById("root");
if (container) createRoot(container).render(<App />);
