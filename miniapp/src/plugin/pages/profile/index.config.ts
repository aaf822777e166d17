export { default } from '../../../pages/profile/index.config';
