import { useEffect, useState } from 'preact/hooks';
import { get, withTenant } from '../api';
import { ErrorNote, TableHead } from '../components/status';
import { Body } from '../components/xml';
import { useSession } from '../session';

interface Template {
  id: string;
  name: string;
  version: string;
  resource: string;
  placeholders: string[];
  lastUpdated: string;
  content?: string;
}

const TEMPLATES = '/cam/api/v1/templates';

/** The template library: each ESC template with the placeholders a flow step fills; its XML on demand. */
export function TemplateLibrary() {
  const { session } = useSession();
  const [templates, setTemplates] = useState<Template[]>();
  const [open, setOpen] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  useEffect(() => {
    get<Template[]>(withTenant(TEMPLATES, session.tenantId, { 'filter[limit]': '500' }))
      .then(setTemplates)
      .catch((e) => setError((e as Error).message));
  }, [session.tenantId]);
  const show = async (t: Template) => {
    try {
      const full = await get<Template>(withTenant(`${TEMPLATES}/${t.id}`, session.tenantId));
      setOpen({ ...open, [t.id]: full.content ?? '' });
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <section aria-labelledby="templates-title">
      <h2 id="templates-title">Templates</h2>
      <ErrorNote error={error} />
      {!templates ? (
        <p aria-busy="true">Loading…</p>
      ) : templates.length === 0 ? (
        <p>No templates yet.</p>
      ) : (
        <table>
          <TableHead columns={['Name', 'Version', 'Resource', 'Placeholders', 'Content']} />
          <tbody>
            {templates.map((t) => (
              <tr key={t.id}>
                <td>{t.name}</td>
                <td>{t.version}</td>
                <td>{t.resource}</td>
                <td>
                  {t.placeholders.length ? (
                    <ul class="placeholders" aria-label={`placeholders of ${t.name} ${t.version}`}>
                      {t.placeholders.map((p) => (
                        <li key={p}>
                          <code>{`\${${p}}`}</code>
                        </li>
                      ))}
                    </ul>
                  ) : (
                    '—'
                  )}
                </td>
                <td>
                  {open[t.id] !== undefined ? (
                    <Body label={`${t.name} XML`} text={open[t.id]} />
                  ) : (
                    <button type="button" class="secondary small" onClick={() => show(t)} aria-label={`Show the XML of ${t.name} ${t.version}`}>
                      Show
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
