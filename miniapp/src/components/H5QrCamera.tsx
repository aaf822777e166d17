// H5 only: a full-screen camera view (getUserMedia, rear camera) that decodes QR codes with jsQR on a
// canvas until one is found. The mini-program uses WeChat's own scanner (Taro.scanCode) instead.
import { useEffect, useRef, useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import { decodeQrPixels } from '../services/media';

/** Who is scanning: the staff member (who can also type the number) or a citizen scanning a poster. */
export type CameraAudience = 'staff' | 'citizen';

/** Why the camera cannot be used, in words for whoever is scanning, with the way around it. */
export function cameraErrorText(e: unknown, audience: CameraAudience = 'staff'): string {
  const name = String((e as any)?.name ?? '');
  const citizen = audience === 'citizen';
  if (name === 'NotAllowedError' || name === 'SecurityError') return citizen ? '摄像头权限被拒绝，无法扫码。请在浏览器设置中允许使用摄像头，或上传服务单位二维码图片。' : '摄像头权限被拒绝，无法扫码。请在浏览器设置中允许使用摄像头，或上传二维码图片。';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return citizen ? '未找到可用的摄像头，请上传服务单位二维码图片。' : '未找到可用的摄像头，请上传二维码图片，或输入健康码上方的12位数字。';
  if (name === 'NotReadableError') return '摄像头被其他应用占用，请关闭后重试，或上传二维码图片。';
  return citizen ? '无法打开摄像头，请上传服务单位二维码图片。' : '无法打开摄像头，请上传二维码图片，或输入健康码上方的12位数字。';
}

const SCAN_EVERY_MS = 150;
const MAX_SIDE = 640;

export function H5QrCamera(props: { onDecoded: (text: string) => void; onUnavailable: (message: string) => void; onClose: () => void; audience?: CameraAudience }) {
  const videoRef = useRef<HTMLVideoElement | null>(null);
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const cb = useRef(props);
  cb.current = props;
  const [status, setStatus] = useState('正在打开摄像头…');

  useEffect(() => {
    let stream: MediaStream | null = null;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      stream?.getTracks().forEach((t) => t.stop());
      stream = null;
    };

    (async () => {
      const md = typeof navigator !== 'undefined' ? navigator.mediaDevices : undefined;
      if (!md || typeof md.getUserMedia !== 'function') {
        cb.current.onUnavailable(
          cb.current.audience === 'citizen'
            ? '当前浏览器不支持调用摄像头（需在 HTTPS 页面中使用），请上传服务单位二维码图片。'
            : '当前浏览器不支持调用摄像头（需在 HTTPS 页面中使用），请上传二维码图片，或输入健康码上方的12位数字。',
        );
        return;
      }
      try {
        stream = await md.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
      } catch (e) {
        if (!stopped) cb.current.onUnavailable(cameraErrorText(e, cb.current.audience));
        return;
      }
      const video = videoRef.current;
      if (stopped || !video) {
        stop();
        return;
      }
      video.srcObject = stream;
      video.muted = true;
      video.setAttribute('playsinline', 'true');
      try {
        await video.play();
      } catch {
        /* autoplay refused: frames still arrive once the user taps */
      }
      setStatus(cb.current.audience === 'citizen' ? '请将服务单位二维码置于取景框内，识别后自动打开' : '请将健康码置于取景框内，识别后自动查询');
      const tick = () => {
        if (stopped) return;
        const canvas = canvasRef.current;
        if (video.readyState >= 2 && video.videoWidth > 0 && canvas) {
          const scale = Math.min(1, MAX_SIDE / Math.max(video.videoWidth, video.videoHeight));
          canvas.width = Math.round(video.videoWidth * scale);
          canvas.height = Math.round(video.videoHeight * scale);
          const ctx = canvas.getContext('2d', { willReadFrequently: true } as any) as CanvasRenderingContext2D | null;
          if (ctx) {
            ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
            const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
            const text = decodeQrPixels(img.data, canvas.width, canvas.height, false);
            if (text) {
              stop();
              cb.current.onDecoded(text);
              return;
            }
          }
        }
        timer = setTimeout(tick, SCAN_EVERY_MS);
      };
      tick();
    })();
    return stop;
  }, []);

  return (
    <View className='camera-overlay' data-testid='camera-view'>
      <video ref={videoRef} className='camera-video' autoPlay muted playsInline />
      <View className='camera-frame' />
      <canvas ref={canvasRef} style={{ display: 'none' }} />
      <Text className='camera-status' data-testid='camera-status'>{status}</Text>
      <Button className='btn btn-plain camera-close' data-testid='camera-close' onClick={() => cb.current.onClose()}>取消扫码</Button>
    </View>
  );
}

/** H5 only: a hidden native file input with a button that opens it. */
export function H5FileButton(props: {
  label: string;
  testId: string;
  capture?: 'environment' | 'user';
  disabled?: boolean;
  className?: string;
  onFile: (file: File) => void;
}) {
  const input = useRef<HTMLInputElement | null>(null);
  return (
    <View>
      <input
        ref={input}
        type='file'
        accept='image/*'
        data-testid={`${props.testId}-input`}
        {...(props.capture ? { capture: props.capture } : {})}
        style={{ display: 'none' }}
        onChange={(e) => {
          const f = e.target.files && e.target.files[0];
          // Reset so choosing the same file again fires again.
          e.target.value = '';
          if (f) props.onFile(f);
        }}
      />
      <Button className={props.className ?? 'btn btn-plain'} data-testid={props.testId} disabled={props.disabled} onClick={() => input.current?.click()}>
        {props.label}
      </Button>
    </View>
  );
}
