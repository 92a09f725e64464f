export const Card = ({ title, actions, children, className = "" }: { title?: React.ReactNode; actions?: React.ReactNode; children: React.ReactNode; className?: string }) => (
  <section className={`rounded-xl border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900 ${className}`}>
    {(title || actions) && (
      <header className="mb-3 flex items-center justify-between gap-2">
        {title && <h2 className="text-base font-semibold">{title}</h2>}
        {actions}
      </header>
    )}
    {children}
  </section>
);
