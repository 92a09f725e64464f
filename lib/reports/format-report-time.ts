// Report timestamps in UTC with no locale, so the server, the browser and a PR comment
// all print the same text (and hydration agrees).
export const formatReportTime = (iso: string | null | undefined) => (iso ? `${iso.slice(0, 16).replace("T", " ")} UTC` : "—");
