import { browser } from 'wxt/browser';
import { MappingFilesSection } from './MappingFilesSection.tsx';
import { SiteProfilesSection } from './SiteProfilesSection.tsx';
import './manager-options.css';

/** Called from a click handler: the browser shows its prompt only for a user gesture. */
const requestHost = (pattern: string) => browser.permissions.request({ origins: [pattern] });

/** The options page's manager sections: site profiles and bulk mapping files. */
export function ManagerOptions() {
  return (
    <>
      <SiteProfilesSection requestHost={requestHost} />
      <MappingFilesSection />
    </>
  );
}
