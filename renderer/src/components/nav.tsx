import { pages, routeHash, type PageId } from '../lib/routes.ts';

/**
 * The settings window's navigation: a list of links (wide windows) and, at popup size, a compact
 * select; CSS shows one of them. Test hooks: `navigation "Main"` with links Overview, Servers, Clients,
 * Policies, Sessions, Audit, Changes, Logins, Settings (the current one has aria-current="page");
 * at narrow widths the select labelled "Page".
 */
export function Nav(props: { current: PageId }) {
  return (
    <nav aria-label="Main" className="nav">
      <ul className="nav-links">
        {pages.map((page) => (
          <li key={page.id}>
            <a href={routeHash(page.id)} aria-current={page.id === props.current ? 'page' : undefined}>
              {page.label}
            </a>
          </li>
        ))}
      </ul>
      <label className="nav-compact">
        <span className="visually-hidden">Page</span>
        <select
          value={props.current}
          onChange={(event) => {
            location.hash = routeHash(event.target.value as PageId);
          }}
        >
          {pages.map((page) => (
            <option key={page.id} value={page.id}>
              {page.label}
            </option>
          ))}
        </select>
      </label>
    </nav>
  );
}
