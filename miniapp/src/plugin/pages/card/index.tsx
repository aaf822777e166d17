// The app's page in the plugin (reached from the pages the host opens); its links stay inside the plugin through services/routes.
import '../../setup';

export { default } from '../../../pages/card/index';
