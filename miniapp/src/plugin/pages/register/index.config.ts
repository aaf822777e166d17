export { default } from '../../../pages/register/index.config';
