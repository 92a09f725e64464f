// Browsers still ask for /favicon.ico on their own (outside the page's <link rel="icon">);
// answer with the app icon instead of a 404 in every console.
const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#4f46e5"/><rect x="7" y="8" width="18" height="4" rx="1" fill="#c7d2fe"/><rect x="7" y="14" width="14" height="4" rx="1" fill="#a5b4fc"/><rect x="7" y="20" width="10" height="4" rx="1" fill="#818cf8"/></svg>`;

export const GET = () => new Response(ICON, { headers: { "content-type": "image/svg+xml", "cache-control": "public, max-age=86400" } });
